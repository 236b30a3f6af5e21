const Core = require('clustercore');

/**
 * 实现AppMain
 */
class AppMain extends Core.AppMain {
  // Master/Worker进程初始化完成
  onProcessDidInit(processId, launchParams) {
    // 必须执行super操作
    super.onProcessDidInit(processId, launchParams);
    // Master进程中执行:创建4个Worker进程
    if (processId === 'M') {
      console.log(`Master进程创建完成`);
      this.clusterCore.fork(4);
    }
    // Worker进程中执行:需要保持无状态设计
    else {
      console.log(`Worker进程创建完成 -> ${processId}`);
    }
  }
}

// 使用AppMain初始化ClusterCore并启动
Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
