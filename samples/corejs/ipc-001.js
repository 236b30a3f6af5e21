const Core = require('clustercore');

// 实现AppMain
class AppMain extends Core.AppMain {
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    // Master进程中 - 创建一个Worker进程
    if (processId === 'M') {
      this.clusterCore.fork(1);
    }
    // Worker进程中 - 向主进程发起IPC
    else {
      this.clusterCore.sendData('M', { action: 'TEST_IPC_ACTION', payload: { value: 'test' } });
    }
  }

  // 打印收到的IPC消息
  onProcessDidReceiveMessage(fromProcessId, data) {
    console.log(`进程[${this.processId}]收到了来自进程[${fromProcessId}]的消息:[${JSON.stringify(data)}]`);
  }
}

// 使用AppMain初始化ClusterCore并启动
Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
